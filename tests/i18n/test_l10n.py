"""Numbers, dates, plurals and code labels in the person's language (caseload.l10n, caseload.labels)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from flask import render_template_string
from flask_babel import force_locale

from caseload.l10n import gettext, local_date, local_display, local_percent, ngettext
from caseload.labels import LISTS, label
from caseload.metrics import codes


@pytest.mark.parametrize(
    ("language", "number", "percent", "day"),
    [("nb", "14,5", "48,0\xa0%", "20.11.2026"), ("en", "14.5", "48.0%", "2026-11-20")],
)
def test_numbers_and_dates_follow_the_language(app, language, number, percent, day):
    with app.test_request_context(), force_locale(language):
        assert local_display(Fraction(29, 2)) == number
        assert local_percent(Fraction(48)) == percent
        assert local_date(date(2026, 11, 20)) == day
        assert local_display(None) == "—"


def test_the_core_rounding_rule_is_kept_under_the_locale(app):
    with app.test_request_context(), force_locale("nb"):
        assert local_display(Fraction(1, 8), 2) == "0,13"  # half away from zero, as display()
        assert local_display(Fraction(-1, 20)) == "-0,1"


def test_norwegian_plurals_have_their_own_singular(app):
    with app.test_request_context(), force_locale("nb"):
        assert ngettext("%(num)d day ago", "%(num)d days ago", 1) == "for 1 dag siden"
        assert ngettext("%(num)d day ago", "%(num)d days ago", 2) == "for 2 dager siden"
    with app.test_request_context(), force_locale("en"):
        assert ngettext("%(num)d day ago", "%(num)d days ago", 1) == "1 day ago"


def test_dates_and_decimals_in_messages_and_templates_follow_the_language(app):
    with app.test_request_context(), force_locale("nb"):
        assert gettext("Due on %(day)s.", day=date(2026, 1, 5)) == "Frist 05.01.2026."
        shown = render_template_string(
            "{{ d }} {{ h }} {{ _('Due on %(day)s.', day=d) }} <time datetime='{{ d.isoformat() }}'>",
            d=date(2026, 1, 5),
            h=Decimal("37.50"),
        )
        assert shown == "05.01.2026 37,50 Frist 05.01.2026. <time datetime='2026-01-05'>"


def test_the_catalogue_kept_for_a_request_follows_a_forced_locale_and_back(app):
    """The catalogue is looked up once per request (l10n.translations), but an e-mail written in its
    reader's language inside the request (force_locale) gets that language, and the page its own after."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert gettext("Date") == "Date"
        assert render_template_string("{{ _('Date') }}") == "Date"
        with force_locale("nb"):
            assert gettext("Date") == "Dato"
            assert render_template_string("{{ _('Date') }}") == "Dato"
            assert local_date(date(2026, 11, 20)) == "20.11.2026"
        assert gettext("Date") == "Date"
        assert render_template_string("{{ _('Date') }}") == "Date"
        assert local_date(date(2026, 11, 20)) == "2026-11-20"


def test_every_code_of_the_lists_has_a_norwegian_word(app):
    lists = {
        "role": codes.ROLES,
        "decision": codes.DECISIONS,
        "status": codes.STATUSES_AT_ENTRY,
        "closure": codes.CLOSURE_REASONS,
        "employer_mode": codes.EMPLOYER_CONTACT_MODES,
        "mode": codes.CLIENT_CONTACT_MODES,
        "location": codes.LOCATIONS,
        "purpose": codes.PURPOSES,
        "end_reason": codes.END_REASONS,
        "benefits_kind": codes.BENEFITS_KINDS,
        "timepoint": codes.TIMEPOINTS,
        "arm": codes.TRIAL_ARMS,
        "vocational_kind": codes.VOCATIONAL_CONTACT_KINDS,
        "supervision_kind": codes.SUPERVISION_KINDS,
    }
    with app.test_request_context(), force_locale("nb"):
        for name, code_list in lists.items():
            assert set(LISTS[name]) == set(code_list), name
            for code in code_list:
                assert label(code, name) != code
        assert label("face_to_face", "mode") == "Ansikt til ansikt"
        assert label(None, "mode") == "—"
        assert label("an_old_code", "mode") == "an_old_code"  # imported history: shown as it is
