from django.urls import path

from .views import account, reset, signin, signup, twostep, upstream

app_name = "citizens"

urlpatterns = [
    path("", account.account, name="account"),
    path("daftar/", signup.start, name="signup"),
    path("daftar/kode/", signup.confirm_contact, name="signup_code"),
    path("daftar/identitas/", signup.identity, name="signup_identity"),
    path("daftar/selesai/", signup.done, name="signup_done"),
    path("masuk/", signin.signin, name="signin"),
    path("masuk/kode/", signin.signin_code, name="signin_code"),
    path("keluar/", signin.signout, name="signout"),
    path("penyedia/masuk/", upstream.start, name="upstream_start"),
    path("penyedia/kembali/", upstream.callback, name="upstream_callback"),
    path("penyedia/setuju/", upstream.consent, name="upstream_consent"),
    path("lupa-sandi/", reset.request_reset, name="reset"),
    path("lupa-sandi/kode/", reset.confirm_reset, name="reset_confirm"),
    path("lupa-sandi/selesai/", reset.reset_done, name="reset_done"),
    path("konfirmasi/", account.reauth, name="reauth"),
    path("sesi/akhiri-lainnya/", account.end_other_sessions, name="end_other_sessions"),
    path("kata-sandi/", account.change_password, name="password"),
    path("kontak/", account.change_contact, name="contact"),
    path("kontak/kode/", account.confirm_contact, name="contact_confirm"),
    path("dua-langkah/", twostep.overview, name="twostep"),
    path("dua-langkah/aplikasi/", twostep.setup_totp, name="twostep_totp"),
    path("dua-langkah/surel/", twostep.setup_email, name="twostep_email"),
    path("dua-langkah/matikan/", twostep.turn_off, name="twostep_off"),
    path("loket/", account.counter_code, name="counter_code"),
    path("unduh/", account.download, name="download"),
    path("hapus/", account.delete, name="delete"),
    path("terhapus/", account.deleted, name="deleted"),
]
