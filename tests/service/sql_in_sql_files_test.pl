#!/usr/bin/perl
# SQL lives in .sql files, reached through the typed functions sqlgen makes
# of them (../shared/DESIGN.md, "Habits"; issue 15). This check fails when a C++ source
# file of the product (service/, devices/, locks/, tasks/, templates/) holds
# SQL text in a string literal. Tests and benchmarks may poke the database
# directly and are not checked.
#   perl sql_in_sql_files_test.pl SOURCE_DIR [FOLDER...]
use strict;
use warnings;
use File::Find;

my ($root, @folders) = @ARGV;
die "usage: $0 SOURCE_DIR [FOLDER...]\n" unless defined $root && -d $root;
@folders = qw(service devices locks tasks templates) unless @folders;

# The known exceptions, each with why it cannot be a .sql file (yet).
my %allowed = (
    # The jobs list's WHERE and ORDER BY are composed from its fixed table of
    # filterable and sortable columns (values are parameters); one static
    # statement per combination of filters would be hundreds.
    'service/api/jobs_query.cpp' => 1,
    # CREATE DATABASE cannot run in a transaction nor take its name as a
    # parameter; the name is a constant (defaults::kEmbeddedDatabase).
    'service/store/embedded_postgres.cpp' => 1,
);

# Statement openings and clauses, upper case as every .sql file writes them;
# lower case only where a literal starts with a statement.
my $sql = qr/
    \b(?: SELECT\s | INSERT\s+INTO\b | UPDATE\s+\w+\s+SET\b | DELETE\s+FROM\b | TRUNCATE\s
        | (?:CREATE|ALTER|DROP)\s+(?:OR\s+REPLACE\s+)?(?:UNIQUE\s+)?(?:TABLE|DATABASE|INDEX|FUNCTION|TRIGGER|VIEW|ROLE|EXTENSION|SCHEMA|TYPE)\b
        | (?:UN)?LISTEN\s | NOTIFY\s | ON\s+CONFLICT\b | RETURNING\s | ORDER\s+BY\b | GROUP\s+BY\b | WHERE\s
        | FOR\s+UPDATE\b | SKIP\s+LOCKED\b | BEGIN\s*; | COMMIT\s*; )
  | \bpg_(?:notify|advisory_\w+|try_advisory_\w+)\s*\(
  | ^\s*(?:select\s.*?\bfrom\s|insert\s+into\s|update\s+\w+\s+set\s|delete\s+from\s|with\s+\w+\s+as\s*\()
/x;

# The string literals of a C++ file (ordinary and raw), comments removed.
sub literals {
    my ($text) = @_;
    my @found;
    while ($text =~ m{
        (//[^\n]*)                                   # line comment
      | (/\*.*?\*/)                                  # block comment
      | R"([^()\\\s]{0,16})\((.*?)\)\3"              # raw string
      | "((?:[^"\\\n]|\\.)*)"                        # string
      | '(?:[^'\\\n]|\\.)*'                          # character
    }gsx) {
        if (defined $4) { push @found, [$4, $-[0]] }
        elsif (defined $5) { push @found, [$5, $-[0]] }
    }
    return @found;
}

my @failures;
my $files = 0;
for my $folder (@folders) {
    next unless -d "$root/$folder";
    find({ no_chdir => 1, wanted => sub {
        return unless /\.(?:cpp|cc|h|hpp)$/;
        my $rel = substr($File::Find::name, length($root) + 1);
        return if $allowed{$rel};
        open(my $in, '<', $File::Find::name) or die "cannot read $rel: $!\n";
        local $/;
        my $text = <$in>;
        $files++;
        for my $lit (literals($text)) {
            my ($content, $offset) = @$lit;
            next unless $content =~ $sql;
            my $line = 1 + (substr($text, 0, $offset) =~ tr/\n//);
            (my $shown = $content) =~ s/\s+/ /g;
            $shown = substr($shown, 0, 100) . '...' if length($shown) > 100;
            push @failures, "$rel:$line: SQL in a string literal: \"$shown\"";
        }
    }}, "$root/$folder");
}

die "no C++ sources under $root (@folders): wrong SOURCE_DIR?\n" unless $files;
if (@failures) {
    print STDERR "$_\n" for @failures;
    print STDERR "\n", scalar(@failures), " literal(s) hold SQL. Put the statement in a .sql file beside the code\n",
        "that owns it (-- name: NAME :KIND, see sqlgen/sqlgen.cpp) and call the function sqlgen makes of it.\n";
    exit 1;
}
print "no SQL outside .sql files ($files C++ files of @folders read)\n";
