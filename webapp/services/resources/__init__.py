"""The resource library: storage, upload checks, versions, previews, search and counters.

Other features (集体备课) create resources through `create_resource` / `add_version` and ask
`authoring_school_id` which school a resource counts for."""
from .library import (ResourceFields, Upload, add_version, authoring_school_id, create_resource,
                      restore_version)
from .uploads import UploadRefused

__all__ = ["ResourceFields", "Upload", "UploadRefused", "add_version", "authoring_school_id",
           "create_resource", "restore_version"]
