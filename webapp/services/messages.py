"""Messages made outside requests (the importer), read later in English or the reader's language.

A message is kept as its gettext msgid and named parameters, so the command line prints the
English text while a page translates the same message into the reader's language.
"""


def N_(msgid: str) -> str:
    """Mark a msgid for extraction without translating it (there may be no request, no locale)."""
    return msgid


# Parameters that are themselves msgids (a record's kind: "school", "teacher"), translated with
# the message; every other parameter is a value from the file (a code, a date) shown as it is.
TRANSLATED_PARAMS = ("noun",)


def english(msgid: str, params: dict) -> str:
    return msgid % params if params else msgid


def translated(msgid: str, params: dict) -> str:
    """The message in the current request's language."""
    from flask_babel import gettext

    params = {name: gettext(value) if name in TRANSLATED_PARAMS else value
              for name, value in params.items()}
    try:
        return gettext(msgid, **params)
    except (KeyError, ValueError, TypeError):
        # A translation whose placeholders do not match: better English than a broken page.
        return english(msgid, params)


class Message(str):
    """The English text of a message, which also carries its msgid and parameters."""
    msgid: str
    params: dict

    def __new__(cls, msgid: str, /, **params):
        message = super().__new__(cls, english(msgid, params))
        message.msgid, message.params = msgid, params
        return message

    def translated(self) -> str:
        return translated(self.msgid, self.params)

    def to_json(self) -> dict:
        return {"text": str(self), "msgid": self.msgid, "params": self.params}
