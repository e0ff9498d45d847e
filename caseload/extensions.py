"""Extensions, created unbound; create_app() binds them."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import Session

from caseload.db import Base


class Database(SQLAlchemy):
    """Flask-SQLAlchemy, with ``session`` typed as the ``Session`` whose every method its scoped
    session delegates to: services take a ``Session``, views and commands pass ``db.session``."""

    session: Session  # type: ignore[assignment]  # the scoped session proxies every Session method


db = Database(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
