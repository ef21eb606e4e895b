"""Web layer: the JSON API (and later the clerk screens).

It only translates — parse the request, build a :class:`~municloud.kernel.context.Context`,
call one service, map errors to HTTP.  No queries and no permission checks live here.
Build the application with :func:`municloud.web.app.create_app`.
"""
