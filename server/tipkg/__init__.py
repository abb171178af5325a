"""tipkg: the open knowledge graph of the UN Working Group on Trafficking in Persons."""

__version__ = "0.1.0"
