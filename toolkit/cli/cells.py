import click


@click.group("cells")
def command() -> None:
    """在使用者的活頁簿中讀寫儲存格，其餘內容（圖表、圖片、註解、巨集、格式）原封不動。"""
