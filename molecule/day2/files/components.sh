# shellcheck shell=bash
# (run with bash -c, tasks/machine_exec.yml)
# Prints one JSON object about the Fed-BioMed components' state on this rig machine
# (tasks/machine_components.yml adds the release each container runs):
#   kept         per component: its id, its certificates' digest; per node its datasets'
#                ids and approved plans' ids (what an upgrade must keep)
#   experiments  the researcher's experiment folders
set -eu
cd /var/lib/federated-vpn
python3 - <<'PY'
import configparser, glob, hashlib, json, os

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
print(json.dumps({'kept': kept, 'experiments': experiments}))
PY
