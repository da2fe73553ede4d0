"""crmproof: exported CRM data in, an offline adoption site out."""

__version__ = "0.1.0"
