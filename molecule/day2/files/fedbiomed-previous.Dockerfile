# The rig's previous Fed-BioMed release (prepare.yml): the collection's fedbiomed image with
# another release's own wheel from PyPI installed over it. Only for releases that declare
# the same dependencies (6.4.0 and 6.4.1 differ in their own code only); the image's package
# changes are applied and the release checked by the script the image ships.
ARG IMAGE
FROM ${IMAGE}
ARG FEDBIOMED_VERSION
COPY fedbiomed-*.whl /tmp/wheel/
RUN /opt/fedbiomed/bin/pip install -q --no-deps --no-index --disable-pip-version-check /tmp/wheel/fedbiomed-*.whl \
 && rm -rf /tmp/wheel \
 && fbm-patch-fedbiomed "$FEDBIOMED_VERSION"
LABEL federated-vpn.fedbiomed-version="${FEDBIOMED_VERSION}"
