"""Form widgets of the pages that every request renders."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class PlainSelect(forms.Select):
    """Django's `Select`, its options written out here rather than through a template per option: the same
    `<select>` (name, the attributes the bound field gives — id, aria-invalid, required — and each option's
    value, selected mark and label, escaped), at a tenth of the cost. A list's filter renders one on every
    request, and Django's way (an included template for each of the fourteen states) was a fifth of the
    list page's rendering. Grouped choices are left to Django."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = widget["optgroups"]
        if any(group_name is not None for group_name, _, _ in groups):
            return super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((o["value"], flatatt(o["attrs"]), o["label"]) for _, group, _ in groups for o in group),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )
