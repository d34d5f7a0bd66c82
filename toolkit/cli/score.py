import click


@click.group("score")
def command() -> None:
    """自評評分：評分表、計分、差距分析、比較。"""
