"""The one policy layer: what the signed-in user may see and change.

Scope is data: admin sees the installation, bureau a county, group a group's member
schools and the schools paired with them, school one school, teacher themself.
Every list query is narrowed here and every object check is answered here: core.py holds
the scopes and the core objects; each feature's module beside it (exchanges, classes, itinerant,
collaboration) adds the rules of its own objects through `register` and its own verbs.
"""
from . import (classes, collaboration, exchanges, indicators, itinerant,  # noqa: F401
               lesson_prep, patrols, rectification, resources, training)  # (their rules register)
from .core import (can_change, can_import, can_verify, can_view, county_of_school, group_school_ids,
                   groups, home_county_id, home_school_id, pairings, register, require, schools,
                   signed_in, teachers, visible_school_ids)

__all__ = ["can_change", "can_import", "can_verify", "can_view", "county_of_school",
           "group_school_ids", "groups", "home_county_id", "home_school_id", "pairings", "register",
           "require", "schools", "signed_in", "teachers", "visible_school_ids"]
