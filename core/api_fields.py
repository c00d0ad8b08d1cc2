"""What the API reads exactly as its schema says: amounts in 万元 and the list's pages. A value the schema
refuses is refused (400 in Chinese), never quietly read some other way."""

import re
from decimal import Decimal

from django.http import QueryDict
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination

from .errors import InvalidInput

AMOUNT_MAX = Decimal("999999999999.99")
AMOUNT_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": AMOUNT_PATTERN, "example": "150.00"},
            {"type": "number", "minimum": 0, "maximum": float(AMOUNT_MAX), "multipleOf": 0.01},
        ],
        "description": "万元，至多两位小数；字符串或数字",
    }
)
class AmountField(serializers.DecimalField):
    """An amount in 万元: a string of digits with at most two decimals, or a JSON number of that value. Not an
    exponent, not blanks around it, not a negative sign."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("invalid", "须为不小于0、至多两位小数的金额（万元），如 150.00。")
        super().__init__(
            max_digits=14, decimal_places=2, min_value=Decimal(0), max_value=AMOUNT_MAX, **kwargs
        )

    def to_internal_value(self, data):
        text = isinstance(data, str)
        if (
            isinstance(data, bool)
            or (text and not re.fullmatch(AMOUNT_PATTERN, data))
            or (not text and (_from_text(self) or not isinstance(data, int | float)))
        ):
            self.fail("invalid")
        return super().to_internal_value(data)


def _count(request, name: str, default, minimum: int, maximum: int | None) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    if not re.fullmatch(r"[0-9]{1,9}", raw):
        raise InvalidInput(f"{name} 须为整数。", extra={"errors": {name: ["须为整数。"]}})
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"{minimum}至{maximum}之间" if maximum is not None else f"不小于{minimum}"
        raise InvalidInput(f"{name} 须在{bound}。", extra={"errors": {name: [f"须在{bound}。"]}})
    return value


class Pagination(LimitOffsetPagination):
    """`limit` (1 to 200, 50 by default) and `offset` (0 on): a value out of range is a 400, not the default."""

    max_limit = 200

    def get_limit(self, request):
        return _count(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request):
        return _count(request, self.offset_query_param, 0, 0, None)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.limit_query_param: {"minimum": 1, "maximum": self.max_limit},
            self.offset_query_param: {"minimum": 0, "maximum": 999_999_999},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


# ---- input fields typed as the schema types them -----------------------------------------------------------
# DRF reads leniently (a number for a string, "1" or "yes" for a boolean, "2027" for an integer in JSON); the
# API's input serializers use these instead, so that what the schema refuses is refused. In a form or
# multipart body, and in a query string, every value is text: there an integer is its digits and a boolean
# `true` or `false` (API.md, *Actions*).


def _from_text(field) -> bool:
    return isinstance(getattr(field.root, "initial_data", None), QueryDict)


ID_MAX = 2**31 - 1  # a record's id: PostgreSQL's integer


def id_field(**kwargs) -> "IntegerField":
    """A record's id (an organisation, a project, a letter)."""
    return IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


class _SentEmpty:
    """In a form or multipart body a value sent empty is that value, refused where the schema refuses it (DRF
    would take it for absent); in a query string (a serializer with `from_query`) it is absent, as the schema's
    `allowEmptyValue` says."""

    def get_value(self, dictionary):
        if (
            isinstance(dictionary, QueryDict)
            and not getattr(self.root, "from_query", False)
            and dictionary.get(self.field_name) == ""
        ):
            return ""
        return super().get_value(dictionary)


class CharField(_SentEmpty, serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class IntegerField(_SentEmpty, serializers.IntegerField):
    def to_internal_value(self, data):
        if _from_text(self):
            if not isinstance(data, str) or not re.fullmatch(r"-?[0-9]{1,18}", data):
                self.fail("invalid")
        elif isinstance(data, bool) or not (
            isinstance(data, int) or (isinstance(data, float) and data.is_integer())
        ):
            self.fail("invalid")
        return super().to_internal_value(data)


class BooleanField(_SentEmpty, serializers.BooleanField):
    TEXT = {"true": True, "false": False}

    def to_internal_value(self, data):
        if _from_text(self) and isinstance(data, str):  # (a box left out of a form is False already)
            if data not in self.TEXT:
                self.fail("invalid", input=data)
            return self.TEXT[data]
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class ChoiceField(_SentEmpty, serializers.ChoiceField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class DateField(_SentEmpty, serializers.DateField):
    """A date as YYYY-MM-DD (RFC 3339 full-date), nothing looser."""

    def to_internal_value(self, value):
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)
