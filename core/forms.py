"""Form pieces shared by every app: accessible Bootstrap styling, a fast flat select, a date input,
choice fields for the short coded lists."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

FREE_TEXT_WARNING = _(
    "Ne recopiez jamais un procès-verbal, une main courante ou une pièce judiciaire : "
    "notez seulement ce qui est strictement nécessaire au suivi."
)


class StyledFormMixin:
    """Bootstrap classes and accessible descriptions on every widget, errors marked invalid.

    Forms follow the French public services' convention: « Sauf mention contraire, tous les champs
    sont obligatoires », and an optional field says « (facultatif) » in its label. A search or filter
    form, where every field is optional, sets `marks_optional = False` and says nothing.
    """

    marks_optional = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


class ListSelect(forms.Select):
    """A flat select rendered in Python, for lists that grow with the deployment (partners).

    Django renders each option through its own template: 76 ms for 300 partners on the bench
    machine, on every DPO console request, against about 5 ms here. Same markup and attributes.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((key, " selected" if str(key) in selected else "", label) for key, label in self.choices),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _anchor(bound) -> str:
    """Where an error's link leads: the field, or the first choice of a group of checkboxes or radios."""
    if bound.widget_type in ("checkboxselectmultiple", "radioselect"):
        return f"{bound.auto_id}_0"
    return bound.id_for_label or bound.auto_id


def error_entries(*forms) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The errors of `forms` for the summary at the top of a page: (label, id of the field, message)
    for each field error in the order of the fields, then the errors that belong to no field."""
    fields, general = [], []
    for form in forms:
        if form is None or not form.is_bound or not form.errors:
            continue
        general.extend(form.non_field_errors())
        for bound in form:
            for message in bound.errors:
                if bound.is_hidden:
                    general.append(message)
                else:
                    # A confirmation box's label is a whole sentence: it names itself shortly here.
                    label = getattr(bound.field, "summary_label", None) or bound.label
                    fields.append((str(label), _anchor(bound), message))
    return fields, general


def mentions_required(*forms) -> bool:
    """Whether « Sauf mention contraire, tous les champs sont obligatoires » applies: a form that marks
    its optional fields, with more than one field to fill."""
    visible = [field for form in forms if form is not None for field in form.visible_fields()]
    marking = all(getattr(form, "marks_optional", False) for form in forms if form is not None)
    return marking and len(visible) > 1


class CodedChoiceIterator(forms.models.ModelChoiceIterator):
    """Choices of a short coded list (sources, motifs, quartiers) read in one plain query.

    Django's iterator reads choices through a server-side cursor (DECLARE, FETCH, CLOSE: three round
    trips on PostgreSQL) so that a list of thousands streams; a coded list holds a few dozen rows, and
    the rows read once serve every later rendering of the field in the same form."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self):
        return len(self.queryset) + (self.field.empty_label is not None)


class CodedChoiceField(forms.ModelChoiceField):
    iterator = CodedChoiceIterator


class CodedMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = CodedChoiceIterator
