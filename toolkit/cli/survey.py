import click


@click.group("survey")
def command() -> None:
    """滿意度調查：統計、交叉分析、年度趨勢、票選。"""
