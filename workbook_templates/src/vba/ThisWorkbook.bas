Attribute VB_Name = "ThisWorkbook"
Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"
Attribute VB_GlobalNameSpace = False
Attribute VB_Creatable = False
Attribute VB_PredeclaredId = True
Attribute VB_Exposed = True
Attribute VB_TemplateDerived = False
Attribute VB_Customizable = True
' The xlperf workbook. On opening, register the help texts of the XP_* worksheet functions
' (function wizard descriptions and argument help) in the workbook's language.
Option Explicit

Private Sub Workbook_Open()
    XpRegisterUdfHelp
End Sub
