import datetime

import factory

from schakel.knowledge import services
from schakel.knowledge.models import (
    ItemAudience,
    ItemForm,
    KnowledgeItem,
    Recommendation,
    RoundTableSession,
    Statement,
    Theme,
)
from schakel.knowledge.search import normalise


class KnowledgeItemFactory(factory.django.DjangoModelFactory):
    """A stored, indexed item (created directly, without history: use the service for that).

    `audiences` and `forms` are lists of codes.
    """

    class Meta:
        model = KnowledgeItem
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"item-{n}")
    title = factory.Sequence(lambda n: f"Handreiking nummer {n}")
    kind = "guide"
    publisher = "Kenniscentrum"
    year = 2022
    description = "Een korte beschrijving van een kennisproduct over uitbuiting."
    lvb_suitability = "general"
    language_level = "unknown"
    sort_title = factory.LazyAttribute(lambda o: normalise(o.title))

    @factory.post_generation
    def audiences(obj, create, extracted, **kwargs):
        if create:
            for code in extracted if extracted is not None else ["youth_care"]:
                ItemAudience.objects.create(item=obj, audience=code)

    @factory.post_generation
    def forms(obj, create, extracted, **kwargs):
        if create:
            for code in extracted or []:
                ItemForm.objects.create(item=obj, form=code)

    @factory.post_generation
    def indexed(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            services.item_reindex(item=obj)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: 20 + n)
    title = factory.Sequence(lambda n: f"Thema {n}")
    sections = factory.LazyAttribute(lambda o: [f"2.{o.number % 10}"])


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    code = factory.Sequence(lambda n: f"2.9-A{n + 10}")
    kind = Recommendation.PointKind.RECOMMENDATION
    theme = factory.SubFactory(ThemeFactory)
    chapter = 2
    section = "2.9"
    summary = "Een aanbeveling om iets beter te doen."
    position = factory.Sequence(lambda n: 1000 + n)
    status_since = datetime.date(2023, 1, 1)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoundTableSession

    title = factory.Sequence(lambda n: f"Ronde tafel {n}")
    held_on = datetime.date(2026, 3, 1)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    session = factory.SubFactory(SessionFactory)
    text = "Professionals herkennen een LVB vaak niet."
    kind = Statement.StatementKind.PROBLEM
    organisation_kind = "care"
