"""The CKAN Action API's error kinds; api.py turns each into CKAN's envelope and status."""


class ActionError(Exception):
    status = 500
    kind = "Internal Server Error"
    prefix = "Internal Server Error"

    def __init__(self, message=""):
        super().__init__(message)
        self.message = str(message)

    def error(self) -> dict:
        text = self.prefix + (f": {self.message}" if self.message else "")
        return {"__type": self.kind, "message": text}


class NotFound(ActionError):
    status, kind, prefix = 404, "Not Found Error", "Not found"


class NotAuthorized(ActionError):
    status, kind, prefix = 403, "Authorization Error", "Access denied"


class ValidationError(ActionError):
    """`errors` is {field: [messages]}, as CKAN sends it."""

    status, kind = 409, "Validation Error"

    def __init__(self, errors: dict):
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors

    def error(self) -> dict:
        return {"__type": self.kind, **self.errors}


class SearchQueryError(ActionError):
    """A parameter the search does not know, or a sort it cannot do."""

    status, kind, prefix = 400, "Search Query Error", "Search Query is invalid"


class SearchError(ActionError):
    """A query (`q`, `fq`) that cannot be read."""

    status, kind, prefix = 409, "Search Error", "Search error"


class BadRequest(ActionError):
    status, kind, prefix = 400, "Bad request", "Bad request"
