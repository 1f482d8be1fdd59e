//! French wording: a count with its noun in the singular or the plural.

/// `count` followed by `one` under two (French puts 0 and 1 in the singular), by `many` from two on.
pub fn plural(count: u64, one: &str, many: &str) -> String {
    if count < 2 { format!("{count} {one}") } else { format!("{count} {many}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plural_starts_at_two() {
        assert_eq!(plural(0, "compte", "comptes"), "0 compte");
        assert_eq!(plural(1, "compte actif n'a", "comptes actifs n'ont"), "1 compte actif n'a");
        assert_eq!(plural(2, "compte", "comptes"), "2 comptes");
        assert_eq!(plural(1_000, "structure", "structures"), "1000 structures");
    }
}
