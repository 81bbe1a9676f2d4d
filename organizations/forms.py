"""Forms for the hierarchy pages. They validate input; services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level, Organization, Sector, Workplace, WorkplaceKind

DATE_ATTRS = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}


class VnDateField(forms.DateField):
    widget = forms.DateInput(attrs=DATE_ATTRS, format="%d/%m/%Y")
    default_error_messages = {"invalid": _("Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy, ví dụ 05/01/2021.")}


class CodeField(forms.CharField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("help_text", _("Chữ in hoa, số và dấu gạch ngang, ví dụ HG-QB-TH01."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return value.strip().upper() if value else value


class OrganizationCreateForm(forms.Form):
    code = CodeField(label=_("Mã"))
    name = forms.CharField(label=_("Tên"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=100, required=False)
    level = forms.ModelChoiceField(label=_("Cấp"), queryset=Level.objects.none(), to_field_name="code")
    sector = forms.ChoiceField(
        label=_("Khu vực"),
        choices=[("", _("— không áp dụng —")), *Sector.choices],
        required=False,
        help_text=_("Bắt buộc với công đoàn cơ sở."),
    )
    founded_on = VnDateField(label=_("Ngày thành lập"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)

    def __init__(self, *args, parent: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        levels = Level.objects.filter(rank__gt=parent.level.rank).order_by("rank")
        self.fields["level"].queryset = levels
        first = levels.first()
        if first is not None:
            self.fields["level"].initial = first.code

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if Organization.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Mã %(code)s đã được dùng."), params={"code": code})
        return code

    def clean(self):
        data = super().clean()
        level = data.get("level")
        if level is not None:
            if level.code == Level.BASE and not data.get("sector"):
                self.add_error("sector", _("Công đoàn cơ sở phải có khu vực."))
            if level.code != Level.BASE and data.get("sector"):
                self.add_error("sector", _("Chỉ công đoàn cơ sở mới có khu vực."))
        return data


class OrganizationEditForm(forms.Form):
    name = forms.CharField(label=_("Tên"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=100, required=False)
    sector = forms.ChoiceField(
        label=_("Khu vực"), choices=[("", _("— không áp dụng —")), *Sector.choices], required=False
    )
    founded_on = VnDateField(label=_("Ngày thành lập"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)

    def __init__(self, *args, organization: Organization, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": organization.name,
                "short_name": organization.short_name,
                "sector": organization.sector,
                "founded_on": organization.founded_on,
                "address": organization.address,
            },
        )
        super().__init__(*args, **kwargs)
        self.organization = organization
        if not organization.is_base:
            del self.fields["sector"]


class OperationForm(forms.Form):
    """What every restructuring records: when, by which decision, why."""

    effective_date = VnDateField(label=_("Ngày hiệu lực"))
    decision = forms.CharField(
        label=_("Số quyết định"), max_length=100, required=False, help_text=_("Ví dụ: 45/QĐ-LĐLĐ")
    )
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DissolveForm(OperationForm):
    pass


class MoveForm(OperationForm):
    new_parent = forms.ModelChoiceField(
        label=_("Chuyển về tổ chức cấp trên"), queryset=Organization.objects.none(), to_field_name="code"
    )
    field_order = ["new_parent", "effective_date", "decision", "note"]

    def __init__(self, *args, parents, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents
        self.fields["new_parent"].label_from_instance = lambda o: f"{o.code} — {o.name}"


class MergeForm(OperationForm):
    NEW, EXISTING = "new", "existing"

    sources = forms.ModelMultipleChoiceField(
        label=_("Các tổ chức hợp nhất"),
        queryset=Organization.objects.none(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(
        label=_("Hợp nhất thành"),
        choices=[(NEW, _("một tổ chức mới")), (EXISTING, _("một tổ chức đang có"))],
        widget=forms.RadioSelect,
        initial=NEW,
    )
    into = forms.ModelChoiceField(
        label=_("Tổ chức nhận hợp nhất"), queryset=Organization.objects.none(), to_field_name="code", required=False
    )
    new_code = CodeField(label=_("Mã tổ chức mới"), required=False)
    new_name = forms.CharField(label=_("Tên tổ chức mới"), max_length=255, required=False)
    new_sector = forms.ChoiceField(
        label=_("Khu vực của tổ chức mới"),
        choices=[("", _("— như tổ chức đầu tiên —")), *Sector.choices],
        required=False,
    )
    field_order = [
        "sources",
        "mode",
        "into",
        "new_code",
        "new_name",
        "new_sector",
        "effective_date",
        "decision",
        "note",
    ]

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sources"].queryset = candidates
        self.fields["into"].queryset = candidates
        for name in ("sources", "into"):
            self.fields[name].label_from_instance = lambda o: f"{o.code} — {o.name}"

    def clean(self):
        data = super().clean()
        sources = list(data.get("sources") or [])
        if data.get("mode") == self.EXISTING:
            into = data.get("into")
            if into is None:
                self.add_error("into", _("Hãy chọn tổ chức nhận hợp nhất."))
            elif into in sources:
                self.add_error("into", _("Tổ chức nhận hợp nhất không được nằm trong danh sách bị hợp nhất."))
            elif not sources:
                self.add_error("sources", _("Hãy chọn ít nhất một tổ chức để hợp nhất vào %(name)s.") % {"name": into})
        else:
            if len(sources) < 2:
                self.add_error("sources", _("Hãy chọn ít nhất hai tổ chức để hợp nhất."))
            if not data.get("new_code"):
                self.add_error("new_code", _("Hãy nhập mã của tổ chức mới."))
            elif Organization.objects.filter(code=data["new_code"]).exists():
                self.add_error("new_code", _("Mã %(code)s đã được dùng.") % {"code": data["new_code"]})
            if not data.get("new_name"):
                self.add_error("new_name", _("Hãy nhập tên của tổ chức mới."))
        return data


class SplitForm(OperationForm):
    """A split into up to five new organizations; the workplaces are shared out among them."""

    MAX_PARTS = 5

    def __init__(self, *args, source: Organization, workplaces: list[Workplace], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.workplaces = workplaces
        for i in range(1, self.MAX_PARTS + 1):
            required = i <= 2
            self.fields[f"code_{i}"] = CodeField(label=_("Mã tổ chức mới %(n)s") % {"n": i}, required=required)
            self.fields[f"name_{i}"] = forms.CharField(
                label=_("Tên tổ chức mới %(n)s") % {"n": i}, max_length=255, required=required
            )
        part_choices = [(str(i), _("Tổ chức mới %(n)s") % {"n": i}) for i in range(1, self.MAX_PARTS + 1)]
        for workplace in workplaces:
            self.fields[f"workplace_{workplace.pk}"] = forms.ChoiceField(
                label=f"{workplace.code} — {workplace.name}", choices=part_choices, initial="1"
            )

    def parts(self) -> list[tuple[str, str]]:
        return [
            (self.cleaned_data[f"code_{i}"], self.cleaned_data[f"name_{i}"])
            for i in range(1, self.MAX_PARTS + 1)
            if self.cleaned_data.get(f"code_{i}")
        ]

    def workplace_mapping(self) -> dict[str, int]:
        return {w.code: int(self.cleaned_data[f"workplace_{w.pk}"]) - 1 for w in self.workplaces}

    def clean(self):
        data = super().clean()
        codes: list[str] = []
        for i in range(1, self.MAX_PARTS + 1):
            code, name = data.get(f"code_{i}"), data.get(f"name_{i}")
            if code and not name:
                self.add_error(f"name_{i}", _("Hãy nhập tên cho mã %(code)s.") % {"code": code})
            if name and not code:
                self.add_error(f"code_{i}", _("Hãy nhập mã cho %(name)s.") % {"name": name})
            if code:
                if code in codes:
                    self.add_error(f"code_{i}", _("Mã %(code)s bị nhập hai lần.") % {"code": code})
                elif Organization.objects.filter(code=code).exists():
                    self.add_error(f"code_{i}", _("Mã %(code)s đã được dùng.") % {"code": code})
                codes.append(code)
        count = len(codes)
        for workplace in self.workplaces:
            value = data.get(f"workplace_{workplace.pk}")
            if value and int(value) > count:
                self.add_error(
                    f"workplace_{workplace.pk}",
                    _("Chỉ có %(count)s tổ chức mới; hãy chọn một trong số đó.") % {"count": count},
                )
        return data


class WorkplaceForm(forms.Form):
    code = CodeField(label=_("Mã đơn vị"), help_text=_("Mã số thuế hoặc mã do công đoàn cấp trên đặt."))
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại hình"), choices=WorkplaceKind.choices)
    worker_count = forms.IntegerField(label=_("Số lao động"), min_value=0)
    female_worker_count = forms.IntegerField(label=_("Số lao động nữ"), min_value=0)
    upper_union = forms.ModelChoiceField(
        label=_("Công đoàn cấp trên"), queryset=Organization.objects.none(), to_field_name="code"
    )
    branch = forms.ModelChoiceField(
        label=_("CĐCS tại đơn vị"),
        queryset=Organization.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("— chưa có công đoàn —"),
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=20, required=False)

    def __init__(self, *args, upper_unions, branches, workplace: Workplace | None = None, **kwargs) -> None:
        if workplace is not None:
            kwargs.setdefault(
                "initial",
                {
                    "code": workplace.code,
                    "name": workplace.name,
                    "kind": workplace.kind,
                    "worker_count": workplace.worker_count,
                    "female_worker_count": workplace.female_worker_count,
                    "upper_union": workplace.upper_union.code,
                    "branch": workplace.branch.code if workplace.branch else None,
                    "address": workplace.address,
                    "tax_code": workplace.tax_code,
                },
            )
        super().__init__(*args, **kwargs)
        self.workplace = workplace
        self.fields["upper_union"].queryset = upper_unions
        self.fields["branch"].queryset = branches
        self.fields["upper_union"].label_from_instance = lambda o: f"{o.code} — {o.name}"
        self.fields["branch"].label_from_instance = lambda o: f"{o.code} — {o.name}"
        if workplace is not None:
            self.fields["code"].disabled = True

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if self.workplace is None and Workplace.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Mã %(code)s đã được dùng."), params={"code": code})
        return code

    def clean(self):
        data = super().clean()
        total, female = data.get("worker_count"), data.get("female_worker_count")
        if total is not None and female is not None and female > total:
            self.add_error("female_worker_count", _("Số lao động nữ không thể lớn hơn tổng số lao động."))
        return data
