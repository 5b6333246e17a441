"""The regime layer: eligibility, delivery and financing of ALMPs aligned with income support
at one of three degrees (integration, coordination, cooperation)."""
