"""Numbers, dates and code labels in the person's language, on pages, PDFs and e-mails.

The exact rounding stays the core's (``caseload.metrics.numbers.display``); this layer only writes
the rounded value the locale's way ("14,5" in Norwegian). English keeps the app's ISO dates and
plain decimals. JSON and CSV outputs never pass through here: their numbers keep dots (contracts).
Below every feature: wired once by the app factory.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from babel.numbers import format_decimal, get_decimal_symbol
from babel.support import NullTranslations
from flask import Flask, g, has_app_context
from flask_babel import LazyString, format_date, format_datetime, get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from caseload.metrics.numbers import MISSING, Number, display

_CATALOG = "caseload_catalog"


def translations() -> NullTranslations:
    """The current locale's catalogue, looked up once per context and locale.

    flask-babel looks it up again for every string (three context lookups and the locale's name: a
    seventh of a page's time). It is kept on the app context beside flask-babel's own state, with the
    locale flask-babel chose, so ``force_locale`` (an e-mail in its reader's language) gets its own."""
    if not has_app_context():  # pure computations called on their own (tests, scripts)
        return get_translations()
    ctx = g._get_current_object()
    cached = ctx.__dict__.get(_CATALOG)
    if cached is not None and cached[0] is _chosen_locale(ctx):
        return cached[1]
    catalogue = get_translations()  # chooses the locale when not chosen yet
    setattr(ctx, _CATALOG, (_chosen_locale(ctx), catalogue))
    return catalogue


def _chosen_locale(ctx: object):
    """The locale flask-babel (4.x) chose for the context, or None before it chose one."""
    return getattr(getattr(ctx, "_flask_babel", None), "babel_locale", None)


def language() -> str:
    """The language of the page or document being written ("en" outside a request)."""
    if not has_app_context():
        return "en"
    translations()
    locale = _chosen_locale(g._get_current_object())
    return locale.language if locale is not None else "en"


def local_date(value: date) -> str:
    """A calendar date the locale's way (nb ``20.11.2026``; en keeps ISO ``2026-11-20``)."""
    if isinstance(value, datetime):
        value = value.date()
    if language() == "en":
        return value.isoformat()
    return format_date(value, "short")  # CLDR's short date: nb 20.11.2026


def local_datetime(value: datetime) -> str:
    """A UTC timestamp in the programme's time zone, to the minute (nb ``20.11.2026 14:05``)."""
    pattern = "yyyy-MM-dd HH:mm" if language() == "en" else "dd.MM.y HH:mm"
    return format_datetime(value, pattern)


def local_decimal(text: str) -> str:
    """A number already written with a dot (``display``'s ``"-14.5"``) with the locale's symbols."""
    if text == MISSING or language() == "en":
        return text
    value = Decimal(text)
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) else 0
    pattern = "0." + "0" * places if places > 0 else "0"
    return format_decimal(value, format=pattern, locale=get_locale())


def local_display(value: Number | float | Decimal | None, places: int = 1) -> str:
    """``display`` (the exact rounding rule, "—" for nothing to measure) in the locale's way."""
    if isinstance(value, Decimal):
        value = Fraction(value)
    return local_decimal(display(value, places))


def local_percent(value: Number | float | Decimal | None, places: int = 1) -> str:
    """A percentage with the locale's sign and spacing: nb ``48,0 %``, en ``48.0%``."""
    number = local_display(value, places)
    if number == MISSING or not has_app_context():
        return number
    pattern = get_locale().percent_formats[None]  # type: ignore[union-attr]
    return f"{pattern.prefix[0]}{number}{pattern.suffix[0]}"


def localize(value: Any) -> Any:
    """A value as it is shown: dates and decimals the locale's way, everything else as it is."""
    if isinstance(value, datetime):
        return local_datetime(value)
    if isinstance(value, date):
        return local_date(value)
    if isinstance(value, Decimal):
        return local_decimal(str(value))
    return value


def gettext(string: str, **variables: Any) -> str:
    """flask-babel's gettext with the dates and decimals of ``variables`` shown the locale's way."""
    text = translations().ugettext(string)
    return text % {k: localize(v) for k, v in variables.items()} if variables else text


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """flask-babel's lazy_gettext (a word translated when shown), through ``gettext`` above."""
    return LazyString(gettext, string, **variables)


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    """flask-babel's ngettext (``num`` is ``%(num)s``) with ``variables`` shown the locale's way."""
    text = translations().ungettext(singular, plural, num)
    return text % ({"num": num} | {k: localize(v) for k, v in variables.items()})


def _wrap_template_gettext(app: Flask) -> None:
    """The templates' ``_``/``gettext``/``ngettext`` read the catalogue once per request (instead of
    flask-babel's lookup per string) and localize their variables the same way. They do what Jinja's
    new-style gettext does (escape under autoescape; always a format string, so "%%" is "%")."""
    env = app.jinja_env
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )

    @pass_context
    def template_gettext(context: Context, string: str, **variables: Any) -> str:
        text = translations().ugettext(string)
        text = Markup(text) if context.eval_ctx.autoescape else text  # noqa: S704  # nosec B704 - our catalogue, as Jinja
        return text % {k: localize(v) for k, v in variables.items()}

    @pass_context
    def template_ngettext(context: Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        text = translations().ungettext(singular, plural, num)
        text = Markup(text) if context.eval_ctx.autoescape else text  # noqa: S704  # nosec B704 - our catalogue, as Jinja
        return text % ({"num": num} | {k: localize(v) for k, v in variables.items()})

    env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)


def init_app(app: Flask) -> None:
    """Template filters ``label``, ``number``, ``percent``, ``date``; ``{{ value }}`` localized."""
    from caseload.labels import label  # the word lists are built with this module's lazy_gettext

    _wrap_template_gettext(app)
    app.add_template_filter(label, "label")
    app.add_template_filter(local_display, "number")
    app.add_template_filter(local_display, "decimal1")
    app.add_template_filter(local_percent, "percent")
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(local_datetime, "local_datetime")
    # Every {{ value }} that is a date or a Decimal is written the locale's way; machine-readable
    # places (``<time datetime>``, date inputs) write ``.isoformat()`` themselves.
    app.jinja_env.finalize = localize


# A decimal written with a point, not part of a longer run of digits and points (a version, an
# IP address) or of a word.
_DECIMAL = re.compile(r"(?<![\w.])(\d+)\.(\d+)(?![\w]|\.\d)")


def with_decimal_sign(text: str, sign: str) -> str:
    """``text`` with each decimal written with ``sign`` instead of a point (pure)."""
    if sign == ".":
        return text
    return _DECIMAL.sub(lambda m: f"{m[1]}{sign}{m[2]}", text)


def local_numbers(value: object) -> str:
    """A value or a sentence as a PDF prints it: every decimal in it with the locale's sign (dates,
    refs and whole numbers are left alone)."""
    if value is None:
        return ""
    locale = get_locale() if has_app_context() else None
    return with_decimal_sign(str(value), get_decimal_symbol(locale) if locale is not None else ".")
