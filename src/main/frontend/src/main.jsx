import './monaco-workers.js';
import 'graphiql/style.css';
import './styles.css';
import { createRoot } from 'react-dom/client';
import { App } from './App.jsx';
import { adoptTokenFromFragment } from './token.js';

adoptTokenFromFragment();
createRoot(document.getElementById('root')).render(<App />);
