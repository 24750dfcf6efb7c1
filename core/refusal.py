"""The one exception a service raises to refuse a change, with the French message meant for the person.

Views catch it and show `message` (as a form error or a flash message); nothing else is caught that way.
"""


class Refusal(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
