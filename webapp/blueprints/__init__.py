"""Every blueprint of the app, registered in one place."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from .auth.routes import bp as auth
    from .imports.routes import bp as imports
    from .indicators.routes import bp as indicators
    from .main.routes import bp as main
    from .org.routes import bp as org
    from .people.routes import bp as people

    for blueprint in (auth, main, org, people, indicators, imports):
        app.register_blueprint(blueprint)
