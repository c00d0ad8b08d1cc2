"""Keeping the search index current: each save of a project, a document (or a new version of it), a letter or a
catalogue resource re-indexes it (archive.search)."""

from django.db.models.signals import post_delete, post_save

from core.models import Letter
from projects.models import Document, DocumentVersion, Project
from sharing.models import DataResource

from . import search


def _project(sender, instance, **kwargs):
    search.index_project(instance)


def _document(sender, instance, **kwargs):
    search.index_document(instance)


def _version(sender, instance, created, **kwargs):
    if created:
        search.index_document(instance.document)


def _letter(sender, instance, **kwargs):
    search.index_letter(instance)


def _resource(sender, instance, **kwargs):
    search.index_resource(instance)


def _resource_gone(sender, instance, **kwargs):
    search.index_forget(kind="resource", object_id=instance.pk)


def signals_connect() -> None:
    post_save.connect(_project, sender=Project, dispatch_uid="archive.search.project")
    post_save.connect(_document, sender=Document, dispatch_uid="archive.search.document")
    post_save.connect(_version, sender=DocumentVersion, dispatch_uid="archive.search.version")
    post_save.connect(_letter, sender=Letter, dispatch_uid="archive.search.letter")
    post_save.connect(_resource, sender=DataResource, dispatch_uid="archive.search.resource")
    post_delete.connect(_resource_gone, sender=DataResource, dispatch_uid="archive.search.resource_gone")
