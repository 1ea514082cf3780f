# gunicorn settings of the billing API (loaded with --config by supervisord,
# see /etc/supervisor/conf.d/billing.conf).

bind = "0.0.0.0:8000"

# 2 worker processes with 4 threads each: at most 8 requests in progress at once.
workers = 2
worker_class = "gthread"
threads = 4
timeout = 30

# One line per request; the last field is the time taken, in seconds.
accesslog = "/var/log/billing/access.log"
access_log_format = '%(h)s - %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(L)s'

# gunicorn's own messages and the app's log (including tracebacks).
errorlog = "/var/log/billing/error.log"
loglevel = "info"
