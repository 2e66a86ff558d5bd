"""The KPI grid (one period, all eleven KPIs), the file import and the site's targets."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import InputRequired

from app.core.numbers import whole_number
from app.kpis.periods import PERIOD_HINT
from app.toolkit import get_toolkit


def _count(text: str | None) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    number = whole_number(text)  # negatives pass: the service says why they cannot be
    if number is None:
        raise ValueError(text)  # not a whole number the database can hold
    return number


class _GridBase(FlaskForm):
    period = StringField(
        "Period",
        validators=[InputRequired(message=f"Enter the period: {PERIOD_HINT}.")],
        description="A month such as 2025-03 or Mar 2025, or a quarter such as 2025-Q1.",
    )
    replace = BooleanField("Replace values already recorded for this period")
    versions = HiddenField()

    def counts(self) -> dict[int, tuple[int, int]]:
        """{kpi number: (numerator, denominator)} for the rows filled in; marks field errors.

        A row with both boxes empty is skipped; half a row is an error.
        """
        found = {}
        for kpi in get_toolkit().kpis:
            num_field = self[f"num_{kpi.number}"]
            den_field = self[f"den_{kpi.number}"]
            parsed = []
            for box, name in ((num_field, "numerator"), (den_field, "denominator")):
                try:
                    parsed.append(_count(box.data))
                except ValueError:
                    box.errors = [
                        *box.errors,
                        f"KPI {kpi.number}: the {name} must be a whole number, "
                        f"like 42 (you typed '{(box.data or '').strip()[:12]}').",
                    ]
                    parsed.append(False)
            numerator, denominator = parsed
            if numerator is False or denominator is False:
                continue
            if numerator is None and denominator is None:
                continue
            if numerator is None:
                num_field.errors = [*num_field.errors, f"KPI {kpi.number}: enter the numerator."]
            elif denominator is None:
                den_field.errors = [*den_field.errors, f"KPI {kpi.number}: enter the denominator."]
            else:
                found[kpi.number] = (numerator, denominator)
        return found


def grid_form_class() -> type[FlaskForm]:
    """The grid form with a numerator and a denominator box per KPI."""
    fields = {}
    for kpi in get_toolkit().kpis:
        fields[f"num_{kpi.number}"] = StringField(f"KPI {kpi.number} numerator")
        fields[f"den_{kpi.number}"] = StringField(f"KPI {kpi.number} denominator")
    return type("KpiGridForm", (_GridBase,), fields)


KpiGridForm = grid_form_class()


class KpiImportForm(FlaskForm):
    file = FileField("Upload a CSV or Excel (.xlsx) file")
    replace = BooleanField("Replace values already recorded for the same KPI and period")
    upload_token = HiddenField()  # a file already read and kept, to confirm replacing values


def targets_form_class() -> type[FlaskForm]:
    fields = {
        f"target_{kpi.number}": StringField(f"KPI {kpi.number} target (%)")
        for kpi in get_toolkit().kpis
    }
    fields["versions"] = HiddenField()  # {kpi number: version} of the targets shown
    return type("KpiTargetsForm", (FlaskForm,), fields)


KpiTargetsForm = targets_form_class()
