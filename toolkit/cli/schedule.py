import click


@click.group("schedule")
def command() -> None:
    """作業時程管制表：建立、分送各課室、彙整回收、進度狀態。"""
