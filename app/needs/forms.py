"""Forms for the needs figures, assumption overrides and scenarios.

Numbers arrive as text so each field can say exactly what is wrong with it ("Enter a
number", "Enter a whole number"); the model's own checks (ranges, totals) are applied by
the service and attached to the same fields.
"""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField

from app.core.numbers import DB_INT_MAX
from app.needs.assumptions import default_assumptions
from app.needs.model import (
    AGE_BANDS,
    FRACTURE_SITES,
    RATES,
    SEXES,
    STAFF_ROLES,
    Admissions,
    NeedsInputs,
    Scenario,
    band_key,
)

MAX_OPTIONS = 3
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def parse_number(text: str | None, whole: bool = False) -> float | int | None:
    """'1,250', '£180', '45%' -> a number; '' -> None; anything else raises ValueError(message)."""
    cleaned = (text or "").strip().replace(",", "").replace("£", "").rstrip("%").strip()
    if not cleaned:
        return None
    if not _NUMBER.match(cleaned):
        raise ValueError(f"Enter a number, for example 1,250 (you typed '{text.strip()[:20]}').")
    value = float(cleaned)
    # Whole numbers (people, admissions) are stored as integers; no figure here is near 10^12.
    if abs(value) > (DB_INT_MAX if whole else 1e12):
        raise ValueError(f"That number is too large (you typed '{text.strip()[:20]}').")
    if whole:
        if not value.is_integer():
            raise ValueError("Enter a whole number.")
        return int(value)
    return value


class NumberForm(FlaskForm):
    def number(self, name: str, whole: bool = False) -> float | int | None:
        field = getattr(self, name)
        try:
            return parse_number(field.data, whole)
        except ValueError as error:
            field.errors = [*field.errors, str(error)]
            return None

    def add_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            field = getattr(self, name, None)
            if field is None:
                self.form_errors.append(message)
            else:
                field.errors = [*field.errors, message]

    @property
    def has_errors(self) -> bool:
        return bool(self.form_errors) or any(f.errors for f in self)


class InputsForm(NumberForm):
    base_version = HiddenField()
    change = StringField(
        "What changed (optional)", description="For the history, for example 'ONS 2024 figures'."
    )
    population_total = StringField(
        "Population aged 50 and over",
        description="Everyone aged 50+ the service covers. Leave blank to use the sum of the "
        "age bands below.",
    )
    paste = TextAreaField(
        "Or paste the age bands from a spreadsheet",
        description="One row per age band: the band, then women, then men, separated by tabs "
        "or commas, for example '50-54, 12400, 12100'. Pasted rows replace the table above.",
    )

    def to_inputs(self) -> NeedsInputs | None:
        """The inputs, or None after putting a message on every field that cannot be read."""
        bands = {key: self.number(key, whole=True) for key in _band_fields()}
        if (self.paste.data or "").strip():
            pasted = self.parse_paste()
            if pasted is not None:
                bands = pasted
        inputs = NeedsInputs(
            population_total=self.number("population_total", whole=True),
            bands=bands,
            admissions={
                site: Admissions(
                    self.number(f"adm_{site}_count", whole=True),
                    self.number(f"adm_{site}_los_days"),
                    self.number(f"adm_{site}_cost_per_bed_day"),
                )
                for site in FRACTURE_SITES
            },
            rates={key: self.number(f"rate_{key}") for key in RATES},
            staffing={key: self.number(f"staff_{key}") for key in STAFF_ROLES},
        )
        return None if self.has_errors else inputs

    def parse_paste(self) -> dict[str, int | None] | None:
        """Every row checked first; one bad row names its number and reason and nothing is used."""
        names = {label.replace("–", "-"): key for key, label in AGE_BANDS.items()}
        names.update({"85 and over": "85_plus", "85plus": "85_plus", "85 +": "85_plus"})
        found: dict[str, int | None] = {}
        problems = []
        for number, line in enumerate(self.paste.data.strip().splitlines(), start=1):
            if not line.strip():
                continue
            cells = [c.strip() for c in re.split(r"\t|,(?!\d{3}\b)|;", line)]
            band = names.get(cells[0].replace("–", "-").replace(" - ", "-").lower())
            if band is None:
                if number == 1 and not any(ch.isdigit() for ch in cells[0]):
                    continue  # a heading row such as "Age band, Women, Men"
                problems.append(f"row {number}: '{cells[0][:15]}' is not an age band (50-54 … 85+)")
                continue
            if len(cells) < 3:
                problems.append(f"row {number}: needs the band, women and men")
                continue
            try:
                women = parse_number(cells[1], whole=True)
                men = parse_number(cells[2], whole=True)
            except ValueError as error:
                problems.append(f"row {number}: {str(error).rstrip('.')}")
                continue
            found[band_key("female", band)] = women
            found[band_key("male", band)] = men
        if problems:
            self.paste.errors = [
                *self.paste.errors,
                "Nothing was saved. Fix the pasted rows: " + "; ".join(problems[:5]) + ".",
            ]
            return None
        return found


def _band_fields() -> list[str]:
    return [band_key(sex, band) for band in AGE_BANDS for sex in SEXES]


for _sex, _sex_label in SEXES.items():
    for _band, _band_label in AGE_BANDS.items():
        setattr(InputsForm, band_key(_sex, _band), StringField(f"{_sex_label} aged {_band_label}"))
for _site, _label in FRACTURE_SITES.items():
    setattr(InputsForm, f"adm_{_site}_count", StringField(f"{_label}: admissions a year"))
    setattr(InputsForm, f"adm_{_site}_los_days", StringField(f"{_label}: average stay (days)"))
    setattr(
        InputsForm, f"adm_{_site}_cost_per_bed_day", StringField(f"{_label}: cost per bed day (£)")
    )
for _key, _label in RATES.items():
    setattr(InputsForm, f"rate_{_key}", StringField(_label))
for _key, _label in STAFF_ROLES.items():
    setattr(InputsForm, f"staff_{_key}", StringField(f"{_label} (WTE)"))


def inputs_form_data(inputs: NeedsInputs) -> dict[str, str]:
    """Saved inputs as form text, to fill the form for the next change."""

    def text(value: float | None) -> str:
        if value is None:
            return ""
        return f"{value:g}" if isinstance(value, float) else str(value)

    data = {"population_total": text(inputs.population_total)}
    data.update({key: text(inputs.bands.get(key)) for key in _band_fields()})
    for site in FRACTURE_SITES:
        adm = inputs.admissions.get(site, Admissions())
        data[f"adm_{site}_count"] = text(adm.count)
        data[f"adm_{site}_los_days"] = text(adm.los_days)
        data[f"adm_{site}_cost_per_bed_day"] = text(adm.cost_per_bed_day)
    data.update({f"rate_{k}": text(inputs.rates.get(k)) for k in RATES})
    data.update({f"staff_{k}": text(inputs.staffing.get(k)) for k in STAFF_ROLES})
    return data


class AssumptionsForm(NumberForm):
    base_version = HiddenField()


for _key, _item in default_assumptions().items():
    setattr(AssumptionsForm, f"value_{_key}", StringField(f"Value to use for {_item.label}"))
    setattr(AssumptionsForm, f"reason_{_key}", StringField(f"Reason for changing {_item.label}"))


class ScenariosForm(NumberForm):
    base_version = HiddenField()

    def to_scenarios(self) -> list[Scenario] | None:
        options = []
        for n in range(1, MAX_OPTIONS + 1):
            name = (getattr(self, f"opt{n}_name").data or "").strip()
            values = {
                key: self.number(f"opt{n}_{key}")
                for key in ("identification", "treatment", "followup", "nurse_wte", "admin_wte")
            }
            if not name:
                if any(v is not None for v in values.values()):
                    self.add_errors(
                        {f"opt{n}_name": f"Give option {n} a name, or clear its figures."}
                    )
                continue
            for key in ("identification", "treatment", "followup"):
                value = values[key]
                if value is None and not getattr(self, f"opt{n}_{key}").errors:
                    label = SCENARIO_FIELDS[key].lower()
                    self.add_errors({f"opt{n}_{key}": f"Enter the {label} for option {n}."})
                elif value is not None and not 0 <= value <= 100:
                    self.add_errors({f"opt{n}_{key}": "Enter a percentage from 0 to 100."})
            for key in ("nurse_wte", "admin_wte"):
                if values[key] is not None and values[key] < 0:
                    self.add_errors({f"opt{n}_{key}": "Staffing cannot be negative."})
            options.append(Scenario(name[:80], **values))
        return None if self.has_errors else options


SCENARIO_FIELDS = {
    "identification": "Identification rate (% of expected caseload)",
    "treatment": "Treatment rate (% of those assessed)",
    "followup": "Follow-up rate (% of those recommended therapy)",
    "nurse_wte": "Nurses (WTE)",
    "admin_wte": "Administrators (WTE)",
}
for _n in range(1, MAX_OPTIONS + 1):
    setattr(ScenariosForm, f"opt{_n}_name", StringField(f"Option {_n}: name"))
    for _key, _label in SCENARIO_FIELDS.items():
        setattr(ScenariosForm, f"opt{_n}_{_key}", StringField(f"Option {_n}: {_label}"))
