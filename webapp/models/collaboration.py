"""Pairing agreements: plan items under the five dimensions and their logged activities."""
