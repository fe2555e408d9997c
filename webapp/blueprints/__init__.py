"""Every blueprint of the app, registered in one place."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from .auth.routes import bp as auth
    from .calendar.routes import bp as calendar
    from .classes import bp as classes
    from .exchanges import bp as exchanges
    from .imports.routes import bp as imports
    from .inbox.routes import bp as inbox
    from .indicators.routes import bp as indicators
    from .itinerant import bp as itinerant
    from .lesson_prep.routes import bp as lesson_prep
    from .main.routes import bp as main
    from .mentoring.routes import bp as mentoring
    from .org.routes import bp as org
    from .patrols.routes import bp as patrols
    from .people import bp as people
    from .rectification.routes import bp as rectification
    from .resources.routes import bp as resources
    from .resources.settings import bp as resource_settings
    from .resources.sharing import bp as resource_sharing

    for blueprint in (auth, main, org, people, indicators, imports, exchanges, classes,
                      itinerant, mentoring, lesson_prep, inbox, calendar, rectification,
                      patrols, resources, resource_sharing, resource_settings):
        app.register_blueprint(blueprint)
