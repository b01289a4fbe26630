"""For the member's thank-you page: is there a members' summary of this round to read?"""

from django import template

from surveys.models import Assessment

from ..summaries import live_summary

register = template.Library()


@register.simple_tag
def member_summary_published(assessment: Assessment) -> bool:
    return live_summary(assessment) is not None
