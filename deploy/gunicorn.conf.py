"""gunicorn settings for Parcours (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`).

The access log keeps the path without its query string (%(U)s): a search's arguments may hold a name.
"""

import os

bind = os.environ.get("PARCOURS_GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PARCOURS_GUNICORN_WORKERS", "3"))
timeout = 60
graceful_timeout = 30
# Recycle workers now and then, so that a slow leak never grows for weeks.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}i)s'
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"
