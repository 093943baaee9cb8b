# shellcheck shell=bash
# (run with bash -c, tasks/machine_exec.yml)
# Prints one JSON object about the Fed-BioMed components on this rig machine:
#   releases     the release each Fed-BioMed container runs, as the package installed in it
#                says, when its image's label says the same (else "label X, package Y")
#   kept         per component: its id, its certificates' digest; per node its datasets'
#                ids and approved plans' ids (what an upgrade must keep)
#   experiments  the researcher's experiment folders
set -eu
cd /var/lib/federated-vpn
mapfile -t ids < <(docker ps -q --filter label=federated-vpn.fedbiomed-version)
for id in "${ids[@]}"; do
    echo "$id $(docker exec "$id" /opt/fedbiomed/bin/python -c 'import fedbiomed; print(fedbiomed.__version__.lstrip("v"))')"
done > /tmp/rig-packages
docker inspect "${ids[@]}" > /tmp/rig-containers.json
python3 - <<'PY'
import configparser, glob, hashlib, json, os

packages = dict(line.split() for line in open('/tmp/rig-packages'))
releases = []
for container in json.load(open('/tmp/rig-containers.json')):
    label = container['Config']['Labels']['federated-vpn.fedbiomed-version']
    package = packages[container['Id'][:12]]
    releases.append(label if label == package else 'label %s, package %s' % (label, package))
kept = []
for root in sorted(glob.glob('researcher/fbm') + glob.glob('nodes/*/fbm')):
    config = configparser.ConfigParser()
    config.read(os.path.join(root, 'etc/config.ini'))
    digest = hashlib.sha256()
    for path in sorted(glob.glob(os.path.join(root, 'etc/certs/*'))):
        digest.update(open(path, 'rb').read())
    line = '%s id=%s certs=%s' % (root, config.get('default', 'id', fallback='?'), digest.hexdigest()[:16])
    for db in glob.glob(os.path.join(root, 'var/db_NODE_*.json')):
        tables = json.load(open(db))
        line += ' datasets=%s approved=%s' % (
            ','.join(sorted(d['dataset_id'] for d in tables.get('Datasets', {}).values())),
            ','.join(sorted(p['training_plan_id'] for p in tables.get('TrainingPlans', {}).values()
                            if p.get('training_plan_status') == 'Approved')))
    kept.append(line)
experiments = sorted(os.listdir('researcher/fbm/var/experiments')) if os.path.isdir('researcher/fbm/var/experiments') else []
print(json.dumps({'releases': releases, 'kept': kept, 'experiments': experiments}))
PY
