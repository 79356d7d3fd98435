# Portolan catalog export: one port_entity resource per entity.
resource "port_entity" "golden_child-1" {
  identifier = "child-1"
  blueprint  = "golden"
  title      = "Child one"
  properties = {
    string_props = {
      "tier" = "silver"
    }
    number_props = {
      "cost" = 3
    }
    boolean_props = {
      "live" = false
    }
    array_props = {
      string_items = {
        "tags" = []
      }
    }
  }
  relations = {
    single_relations = {
      "parent" = "root"
    }
    many_relations = {
      "peers" = ["child-2"]
    }
  }
}

resource "port_entity" "golden_child-2" {
  identifier = "child-2"
  blueprint  = "golden"
  relations = {
    single_relations = {
      "parent" = "root"
    }
  }
}

resource "port_entity" "golden_hostile" {
  identifier = "hostile"
  blueprint  = "golden"
  title      = "$$${already escaped} $${file(\"secrets.txt\")} %%{ if true }x%%{ endif }"
  icon       = "$${icon}"
  properties = {
    string_props = {
      "home" = "https://example.test/$${path}?q=%%{q}"
      "name" = "$${file(\"secrets.txt\")} %%{ for x in [1] }$${x}%%{ endfor } \u0008\u000c\u0001\u007f\u0085\u2028\u2029\ufeff $ % {} $$${} %%%{}"
      "notes" = "# $${title}\n\n$${file(\"secrets.txt\")} %%{ for x in [1] }$${x}%%{ endfor } \u0008\u000c\u0001\u007f\u0085\u2028\u2029\ufeff $ % {} $$${} %%%{}\n"
    }
    object_props = {
      "extra" = jsonencode({"$${key}" = {"cmd" = "$${file(\"secrets.txt\")} %%{ for x in [1] }$${x}%%{ endfor } \u0008\u000c\u0001\u007f\u0085\u2028\u2029\ufeff $ % {} $$${} %%%{}", "list" = ["%%{x}", {"deep" = "$${deep}"}, 1, true, null]}, "%%{k}" = "v"})
    }
    array_props = {
      string_items = {
        "tags" = ["$${a}", "%%{b}", "$${file(\"secrets.txt\")} %%{ for x in [1] }$${x}%%{ endfor } \u0008\u000c\u0001\u007f\u0085\u2028\u2029\ufeff $ % {} $$${} %%%{}"]
      }
      object_items = {
        "steps" = [jsonencode({"$${key}" = ["%%{ if }", {"deep" = "$${file(\"secrets.txt\")} %%{ for x in [1] }$${x}%%{ endfor } \u0008\u000c\u0001\u007f\u0085\u2028\u2029\ufeff $ % {} $$${} %%%{}"}], "run" = "$${file(\"/etc/passwd\")}"}), jsonencode({})]
      }
    }
  }
  relations = {
    single_relations = {
      "parent" = "root"
    }
    many_relations = {
      "peers" = ["child-1"]
    }
  }
}

resource "port_entity" "golden_root" {
  identifier = "root"
  blueprint  = "golden"
  title      = "Root \"quoted\" \\ back\\slash"
  icon       = "Star"
  teams      = ["golden-team"]
  properties = {
    string_props = {
      "home" = "https://example.test/a?b=c&d=e"
      "name" = "Zoë – naïve café"
      "notes" = "# Heading\n\nA $${template} and %%{ directive } here.\n"
      "since" = "2026-01-02T03:04:05Z"
      "tier" = "gold"
    }
    number_props = {
      "cost" = 12.5
    }
    boolean_props = {
      "live" = true
    }
    object_props = {
      "extra" = jsonencode({"nested" = {"list" = [true, null], "n" = 1}})
    }
    array_props = {
      string_items = {
        "tags" = ["a", "b c"]
      }
    }
  }
  relations = {
    many_relations = {
      "peers" = []
    }
  }
}

