"""``beatbridge load_demo``: the demo city, safe to run on every start."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from beatbridge.demo.alerts import load_alerts
from beatbridge.demo.crimes import load_crimes
from beatbridge.demo.management.quiet import quiet_account_logs
from beatbridge.demo.partners import load_partners
from beatbridge.demo.problems import load_problems
from beatbridge.demo.reports import load_reports
from beatbridge.demo.services import DEMO_PASSWORD, demo_sign_ins, is_demo_database, load_demo
from beatbridge.demo.voice import load_voice
from beatbridge.demo.watch import load_watch
from beatbridge.errors import DomainError


class Command(BaseCommand):
    help = (
        "Load the fictional Seattle Community Police Service: Seattle's 90 neighbourhoods, "
        "their teams, residents, an administrator, two years of recorded crime to last "
        "month and problem-solving projects at every stage. A second run changes nothing "
        "(a run in a later month brings the crime up to date). "
        "Every demo account, the administrator included, has the same published password, "
        "so the command refuses any database but the demo's own (SQLite under the "
        "project's var/) unless given --allow-published-passwords."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--site-url",
            default="http://127.0.0.1:8000",
            help="Where the demo is served, for the sign-in address printed at the end.",
        )
        parser.add_argument(
            "--allow-published-passwords",
            action="store_true",
            help=(
                "Load into a database other than var/'s SQLite file anyway (a throwaway "
                "one, for tests or benchmarks): anyone who reads this project can sign in "
                "to it as administrator."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["allow_published_passwords"] and not is_demo_database(
            connection.settings_dict
        ):
            raise CommandError(
                _(
                    "Refusing to load the demo into the database %(name)s: the demo adds an "
                    "administrator whose password is published, and only the demo's own "
                    "database (SQLite under the project's var/ directory) is safe for that. "
                    "If no one else can reach this database, run the command again with "
                    "--allow-published-passwords."
                )
                % {"name": f"{connection.vendor}:{connection.settings_dict.get('NAME')}"}
            )
        try:
            with quiet_account_logs():
                result = load_demo()
                reports = load_reports(result.force)
                voice = load_voice(result.force)
                alerts = load_alerts(result.force)
                watch = load_watch(result.force)
                partners = load_partners(result.force)
                crimes = load_crimes(result.force)
                problems = load_problems(result.force)
        except DomainError as error:
            raise CommandError(f"{error.field}: {error.message}") from error
        self.stdout.write(
            _(
                "Demo city: %(force)s — created %(neighbourhoods)d neighbourhoods, "
                "%(officers)d officers, %(assignments)d team assignments and %(accounts)d "
                "other accounts, %(categories)d report categories, %(reports)d reports, "
                "%(cycles)d priority cycles, %(meetings)d meetings and %(events)d events "
                "(a second run creates none)."
            )
            % {
                "force": result.force.name,
                "neighbourhoods": result.neighbourhoods_created,
                "officers": result.officers_created,
                "assignments": result.assignments_created,
                "accounts": result.accounts_created,
                "categories": reports.categories_created,
                "reports": reports.reports_created,
                "cycles": voice.cycles_created,
                "meetings": voice.meetings_created,
                "events": voice.events_created,
            }
        )
        self.stdout.write(
            _(
                "Alerts: %(followers)d residents now follow their neighbourhood; "
                "%(alerts)d past alerts with %(deliveries)d deliveries."
            )
            % {
                "followers": alerts.followers_created,
                "alerts": alerts.alerts_created,
                "deliveries": alerts.deliveries_created,
            }
        )
        self.stdout.write(
            _(
                "Watch and partners: %(schemes)d watch schemes with %(members)d memberships, "
                "%(slots)d rota slots and %(messages)d messages; %(organisations)d partner "
                "organisations with %(engagements)d engagements, %(follow_ups)d follow-ups and "
                "%(referrals)d referred reports."
            )
            % {
                "schemes": watch.schemes_created,
                "members": watch.memberships_created,
                "slots": watch.rota_slots_created,
                "messages": watch.messages_created,
                "organisations": partners.organisations_created,
                "engagements": partners.engagements_created,
                "follow_ups": partners.follow_ups_created,
                "referrals": partners.referrals_created,
            }
        )
        self.stdout.write(
            _(
                "Recorded crime: %(incidents)d incidents and %(outcomes)d outcomes over "
                "%(months)d months, imported as police.uk files."
            )
            % {
                "incidents": crimes.incidents_created,
                "outcomes": crimes.outcomes_created,
                "months": crimes.months_imported,
            }
        )
        self.stdout.write(
            _(
                "Problem solving: %(projects)d projects with %(actions)d actions, "
                "%(assessments)d assessments and %(published)d published summaries."
            )
            % {
                "projects": problems.projects_created,
                "actions": problems.actions_created,
                "assessments": problems.assessments_created,
                "published": problems.summaries_published,
            }
        )
        width = max(len(who) for who, _email in demo_sign_ins())
        lines = [f"  {who:<{width}}  {email}" for who, email in demo_sign_ins()]
        self.stdout.write(
            "\n".join(
                [
                    "",
                    _("Sign in at %(url)s with the password '%(password)s' and one of:")
                    % {
                        "url": f"{options['site_url'].rstrip('/')}/accounts/sign-in/",
                        "password": DEMO_PASSWORD,
                    },
                    *lines,
                    "",
                ]
            ),
            self.style.SUCCESS,
        )
