//! The class file of units in the results folder, read for the home screen and the report.

use crate::msg;

/// The units of the class file in the results folder `dir` ([`crate::units::FILE_NAME`]):
/// none when there is no such file; none, and what to do, when it cannot be read or has
/// problems (`tipquiz check` lists them).
pub(crate) fn read_class_units(
    dir: &std::path::Path,
) -> (Vec<crate::units::ClassUnit>, Option<crate::messages::Msg>) {
    let path = dir.join(crate::units::FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (Vec::new(), None),
        Err(_) => {
            return (
                Vec::new(),
                Some(msg!(UnitsFileProblem, path.display().to_string())),
            );
        }
    };
    let (units, diags) = crate::units::parse_units(&path.display().to_string(), &text);
    if diags.iter().any(crate::diag::Diagnostic::is_error) {
        return (
            Vec::new(),
            Some(msg!(UnitsFileProblem, path.display().to_string())),
        );
    }
    (units, None)
}
