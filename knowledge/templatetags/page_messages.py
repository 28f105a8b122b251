"""``messages|header_messages``: the messages for the top of the page, without those placed next to a row."""

from django import template

register = template.Library()

ROW_MESSAGE = "row:"  # an extra tag such as "row:facts-12" places a message next to that row instead


@register.filter
def header_messages(messages) -> list:
    return [message for message in messages if not message.extra_tags.startswith(ROW_MESSAGE)]
