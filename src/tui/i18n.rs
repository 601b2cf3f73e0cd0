//! The screens' words, from the one catalogue per language in [`crate::messages`] (its
//! [`screens`](crate::messages::screens) part); kept as a path for the screens' code.

pub use crate::messages::fill;
pub use crate::messages::screens::*;
pub use crate::messages::{ar::SCREENS as AR, en::SCREENS as EN};
