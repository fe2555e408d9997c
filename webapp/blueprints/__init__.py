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
    from .main.routes import bp as main
    from .mentoring.routes import bp as mentoring
    from .org.routes import bp as org
    from .people.routes import bp as people

    for blueprint in (auth, main, org, people, indicators, imports, exchanges, classes,
                      itinerant, mentoring, inbox, calendar):
        app.register_blueprint(blueprint)
