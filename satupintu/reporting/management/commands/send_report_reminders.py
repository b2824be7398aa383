"""`satupintu send-report-reminders`: e-mail each OPD the reports it must send in the next
working days or has not sent past their due date (see satupintu/reporting/reminders.py).

Run it once a working day from cron or a systemd timer, e.g. at 07:00. Each reminder is sent
once, so running it more often only picks up addresses added meanwhile. `--dry-run` shows
what would be sent and writes nothing, for checking a new report type or the mail setup.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.reporting import reminders


class Command(BaseCommand):
    help = "Kirim surel pengingat laporan yang menjelang atau lewat tenggat."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days-before",
            type=int,
            default=3,
            help="Ingatkan bila tenggat paling lama sekian hari kerja lagi (bawaan 3).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Tampilkan yang akan dikirim tanpa mengirim atau mencatat apa pun.",
        )

    def handle(self, days_before, dry_run, **options):
        if days_before < 0:
            raise CommandError(_("--days-before tidak boleh negatif."))
        batches = reminders.pending(days_before=days_before)
        if dry_run:
            self._list(batches, show_addresses=options["verbosity"] > 1)
            counts = reminders.summarise(batches)
            self.stdout.write(
                _(
                    "Uji coba: %(sent)s surel akan dikirim, %(items)s laporan diingatkan, "
                    "%(no_recipient)s OPD tanpa alamat surel. Tidak ada yang dikirim atau dicatat."
                )
                % counts
            )
            return
        counts = reminders.deliver(batches)
        self.stdout.write(
            _(
                "%(sent)s surel dikirim, %(items)s laporan diingatkan, "
                "%(no_recipient)s OPD tanpa alamat surel, %(failed)s gagal."
            )
            % counts
        )
        if counts["failed"]:
            # A non-zero exit makes cron report it; the failed ones are retried next run.
            raise CommandError(
                _("Sebagian pengingat gagal dikirim; dicoba lagi pada jalan berikutnya.")
            )

    def _list(self, batches, show_addresses):
        kinds = dict(reminders.Reminder.Kind.choices)
        for batch in batches:
            opd = batch.opd.acronym or batch.opd.name
            if not batch.to:
                self.stdout.write(
                    _("%(opd)s: tidak ada operator dengan alamat surel") % {"opd": opd}
                )
            else:
                self.stdout.write(
                    _("%(opd)s: kepada %(to)s alamat, tembusan %(cc)s")
                    % {"opd": opd, "to": len(batch.to), "cc": len(batch.cc)}
                )
                if show_addresses:
                    self.stdout.write("  " + ", ".join(batch.to + batch.cc))
            for item in batch.items:
                self.stdout.write(
                    f"  - {kinds[item.kind]}: {item.report_type.name}, {item.period.label} "
                    f"({_('tenggat')} {item.due_date:%d-%m-%Y})"
                )
