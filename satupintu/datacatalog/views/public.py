from django.http import Http404


def catalog(request):
    raise Http404


def dataset(request, name):
    raise Http404


def resource(request, name, resource_id):
    raise Http404


def download(request, name, resource_id):
    raise Http404


def version_download(request, name, resource_id, number):
    raise Http404
