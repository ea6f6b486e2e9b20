"""Calls listAsyncJobs on the simulator with the cs client (Debian's
python3-cs) and prints what it saw as JSON, for cs_asyncjobs_test.go.

usage: cs_asyncjobs.py ENDPOINT ADMIN_KEY ADMIN_SECRET USER_KEY USER_SECRET
"""
import json
import sys
from datetime import datetime, timedelta, timezone

from cs import CloudStack

endpoint, akey, asecret, ukey, usecret = sys.argv[1:6]
admin = CloudStack(endpoint=endpoint, key=akey, secret=asecret)
user = CloudStack(endpoint=endpoint, key=ukey, secret=usecret)

zone = admin.listZones()["zone"][0]["id"]
tmpl = admin.listTemplates(templatefilter="executable")["template"][0]["id"]
offering = admin.listServiceOfferings()["serviceoffering"][0]["id"]
jobs = [admin.deployVirtualMachine(zoneid=zone, templateid=tmpl, serviceofferingid=offering)["jobid"] for _ in range(3)]
ujob = user.deployVirtualMachine(zoneid=zone, templateid=tmpl, serviceofferingid=offering)["jobid"]

now = datetime.now(timezone.utc)
out = {
    "admin": admin.listAsyncJobs(),
    "paged": admin.listAsyncJobs(fetch_list=True, pagesize=2),
    "user": user.listAsyncJobs(),
    "listall": admin.listAsyncJobs(listall=True),
    "today": admin.listAsyncJobs(startdate=now.strftime("%Y-%m-%dT%H:%M:%S%z")),
    "tomorrow": admin.listAsyncJobs(startdate=(now + timedelta(days=1)).strftime("%Y-%m-%d")),
    "keyword": admin.listAsyncJobs(keyword="DeployVM"),
    "nokeyword": admin.listAsyncJobs(keyword="Snapshot"),
    "jobs": jobs,
    "ujob": ujob,
}
print(json.dumps(out))
