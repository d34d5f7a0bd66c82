"""One module per demo step; each has ``run(ctx: DemoContext) -> None``."""
