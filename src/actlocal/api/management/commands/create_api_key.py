"""``actlocal create-api-key --user EMAIL [--name NAME] [--read-only] [--organization SLUG]``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from actlocal.accounts.models import User
from actlocal.api.services import ApiError, create_api_key
from actlocal.common.context import acting_as
from actlocal.network.models import Organization


class Command(BaseCommand):
    help = "Create an OSDI API key for a user and print its token (shown only once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--user", required=True, help="Email of the key's owner.")
        parser.add_argument("--name", default="", help="A name to tell the key apart.")
        parser.add_argument("--read-only", action="store_true", help="Refuse writes.")
        parser.add_argument(
            "--organization", default="", help="Slug of an organization to limit the key to."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["user"].strip()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with email {email!r}.")
        if not user.is_active:
            raise CommandError(f"User {email!r} is deactivated.")
        organization = None
        if options["organization"]:
            organization = Organization.objects.filter(slug=options["organization"]).first()
            if organization is None:
                raise CommandError(f"No organization with slug {options['organization']!r}.")
        with acting_as(user=user, via="cli"):
            try:
                _key, token = create_api_key(
                    user=user,
                    name=options["name"] or "cli",
                    read_only=options["read_only"],
                    organization=organization,
                    by=user,
                )
            except ApiError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(token)
