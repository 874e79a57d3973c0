from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ comments_by_section|get_item:section.pk }}`: a dict lookup with a variable key."""
    return mapping.get(key) if mapping else None
