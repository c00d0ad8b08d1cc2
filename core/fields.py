"""What a step asks for, described for a client (API.md, *Actions*): every transition and action has a Django
form, and its fields are described from that form alone, so the browser's form, the API's validation and the
schema's description cannot drift apart."""

from django import forms

# The units a field's label names in full-width brackets, e.g. 合同金额（万元）.
UNITS = ("万元", "个工作日", "分")


def _unit(field: forms.Field) -> str | None:
    label = str(field.label or "")
    for unit in UNITS:
        if f"（{unit}）" in label:
            return unit
    return getattr(field, "unit", None)


def field_type(field: forms.Field) -> str:
    if isinstance(field, forms.FileField):
        return "file"
    if isinstance(field, forms.BooleanField):
        return "boolean"
    if isinstance(field, forms.DecimalField):
        return "decimal"
    if isinstance(field, forms.IntegerField):
        return "integer"
    if isinstance(field, forms.DateField):
        return "date"
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return "multichoice"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return "choice"
    if isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
        return "text"
    return "string"


def _choices(field: forms.Field) -> list[dict] | None:
    if not isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return None
    found = []
    for value, label in field.choices:
        if value in ("", None):
            continue
        if isinstance(label, list | tuple):  # an optgroup
            found += [{"code": str(v), "label": str(lbl)} for v, lbl in label]
            continue
        value = getattr(value, "value", value)  # ModelChoiceIteratorValue
        found.append({"code": str(value), "label": str(label)})
    return found


def field_describe(name: str, field: forms.Field) -> dict:
    kind = field_type(field)
    described = {
        "name": name,
        "label": str(field.label or name),
        "type": kind,
        # A box left unticked is an answer (false), never a malformed request.
        "required": bool(field.required) and kind != "boolean",
    }
    choices = _choices(field)
    if choices is not None:
        described["choices"] = choices
    if kind in ("integer", "decimal"):
        for key, attr in (("min", "min_value"), ("max", "max_value")):
            value = getattr(field, attr, None)
            if value is not None:
                described[key] = str(value) if kind == "decimal" else int(value)
    if getattr(field, "max_length", None):
        described["max_length"] = field.max_length
    unit = _unit(field)
    if unit:
        described["unit"] = unit
    if field.help_text:
        described["help"] = str(field.help_text)
    return described


def form_describe(form: forms.Form) -> list[dict]:
    """The fields of a (bound or unbound) form instance, in order."""
    return [field_describe(name, field) for name, field in form.fields.items()]


def form_data(data, files=None) -> tuple[dict, dict]:
    """A request's data as a form takes it: a QueryDict keeps its repeated names (a multichoice), JSON keeps its
    lists, and a JSON boolean becomes what a checkbox posts."""
    from django.utils.datastructures import MultiValueDict

    if hasattr(data, "getlist"):
        plain = data.copy()
        plain.pop("csrfmiddlewaretoken", None)
    else:
        plain = MultiValueDict()
        for key, value in dict(data or {}).items():
            if isinstance(value, list | tuple):
                plain.setlist(key, [_scalar(v) for v in value])
            elif value is False or value is None:
                continue  # an unticked box, or no value
            else:
                plain[key] = _scalar(value)
    return plain, (files or {})


def _scalar(value):
    if value is True:
        return "on"
    return value if isinstance(value, str) else str(value)
