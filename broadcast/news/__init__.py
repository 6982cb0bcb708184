"""News items (tin bài): scripts/*.md parsed into NewsItem records, and their lint."""
