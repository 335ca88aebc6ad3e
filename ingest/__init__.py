"""Reading handbooks into cited chunks: readers, cleaning, structure and chunking."""
