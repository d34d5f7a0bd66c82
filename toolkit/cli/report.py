import click


@click.group("report")
def command() -> None:
    """由 notebook 產生自成一檔、無障礙的繁體中文 HTML 報告。"""
