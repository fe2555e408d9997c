"""Every blueprint of the app, registered in one place."""
from flask import Flask


def register_blueprints(app: Flask) -> None:
    from .auth.routes import bp as auth
    from .main.routes import bp as main

    for blueprint in (auth, main):
        app.register_blueprint(blueprint)
