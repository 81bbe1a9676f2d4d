"""The admin shows program documents and their parts to super-administrators.

Officers create and edit programs in the portal (programs/forms.py), which checks
their right at the program's scope; the admin is for corrections.
"""

from django.contrib import admin

from .models import Milestone, Program, ProgramBasis, ProgramSection


class ProgramBasisInline(admin.TabularInline):
    model = ProgramBasis
    extra = 0


class ProgramSectionInline(admin.StackedInline):
    model = ProgramSection
    extra = 0
    autocomplete_fields = ("responsible",)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("code", "number", "kind", "title", "issuer_name", "start_year", "end_year", "scope", "status")
    list_filter = ("kind", "status")
    search_fields = ("code", "number", "title", "issuer_name")
    autocomplete_fields = ("issuer", "scope")
    inlines = [ProgramBasisInline, ProgramSectionInline, MilestoneInline]


@admin.register(ProgramBasis)
class ProgramBasisAdmin(admin.ModelAdmin):
    list_display = ("program", "order", "text")
    search_fields = ("text", "program__code")


@admin.register(ProgramSection)
class ProgramSectionAdmin(admin.ModelAdmin):
    list_display = ("program", "order", "title")
    search_fields = ("title", "program__code")
    autocomplete_fields = ("responsible",)


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("program", "kind", "year", "due_on", "title")
    list_filter = ("kind",)
