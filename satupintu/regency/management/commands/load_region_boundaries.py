from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from satupintu.regency import boundaries


class Command(BaseCommand):
    help = (
        "Load kecamatan/desa boundaries (for the data catalog's maps) from a GeoJSON "
        "FeatureCollection of Polygon/MultiPolygon features whose property --code-property "
        "holds the Kemendagri code (35.24.01 or 352401). Coordinates are WGS84 lon/lat "
        "(EPSG:4326); "
        "convert other projections first, e.g. `ogr2ogr -t_srs EPSG:4326 out.geojson in.shp`. "
        "Openly licensed sources: BIG (tanahair.indonesia.go.id, batas administrasi), "
        "geoBoundaries IDN ADM3 (CC BY 4.0; its shapeID is not a Kemendagri code, so add one). "
        "Give the source and licence with --source: the maps cite it. Nothing is loaded unless "
        "every feature is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("geojson_file", type=Path)
        parser.add_argument(
            "--code-property",
            required=True,
            help="The feature property holding the Kemendagri code, e.g. kode or KDCPUM.",
        )
        parser.add_argument(
            "--source",
            required=True,
            help='Source and licence shown under each map, e.g. "BIG, batas kecamatan 2024".',
        )
        parser.add_argument(
            "--skip-unmatched",
            action="store_true",
            help="Ignore features of regions outside this installation (a province-wide file).",
        )
        parser.add_argument(
            "--tolerance",
            type=float,
            default=boundaries.TOLERANCE,
            help="Simplification in degrees (default 0.0005, about 55 m); 0 keeps every point.",
        )
        parser.add_argument(
            "--max-mb",
            type=int,
            default=boundaries.MAX_BYTES // (1024 * 1024),
            help="Refuse larger files (default 50).",
        )

    def handle(self, geojson_file, code_property, source, **options):
        if not geojson_file.is_file():
            raise CommandError(_("Berkas %(path)s tidak ditemukan.") % {"path": geojson_file})
        if not source.strip():
            raise CommandError(_("Sebutkan sumber dan lisensi batas wilayah dengan --source."))
        try:
            result = boundaries.load(
                geojson_file,
                code_property,
                source.strip(),
                skip_unmatched=options["skip_unmatched"],
                tolerance=max(0.0, options["tolerance"]),
                max_bytes=options["max_mb"] * 1024 * 1024,
            )
        except boundaries.BoundaryError as error:
            raise CommandError(str(error)) from error
        for number, code in result.unmatched:
            self.stderr.write(
                _("Dilewati: fitur ke-%(n)d (%(code)s) bukan wilayah portal ini.")
                % {"n": number, "code": code}
            )
        self.stdout.write(
            _("%(count)d batas wilayah dimuat (%(points)d titik setelah disederhanakan).")
            % {"count": len(result.loaded), "points": result.points}
        )
